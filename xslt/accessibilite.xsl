<?xml version="1.0" encoding="UTF-8"?>
<!--
  View "accessibilite": the RGAA 4.1 accessibility statement, linked from every footer.
  Static: all its text lives in the catalogue under a11y.*.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="layout.xsl"/>

  <xsl:template match="page" mode="title">
    <xsl:call-template name="msg">
      <xsl:with-param name="key" select="'a11y.title'"/>
    </xsl:call-template>
  </xsl:template>

  <!-- One catalogue entry as an element of the given name. -->
  <xsl:template name="block">
    <xsl:param name="name" select="'p'"/>
    <xsl:param name="key"/>
    <xsl:element name="{$name}">
      <xsl:call-template name="msg">
        <xsl:with-param name="key" select="$key"/>
      </xsl:call-template>
    </xsl:element>
  </xsl:template>

  <!-- A link whose text is $key and whose target is $key.url. -->
  <xsl:template name="catalogue-link">
    <xsl:param name="key"/>
    <a>
      <xsl:attribute name="href">
        <xsl:call-template name="msg">
          <xsl:with-param name="key" select="concat($key, '.url')"/>
        </xsl:call-template>
      </xsl:attribute>
      <xsl:call-template name="msg">
        <xsl:with-param name="key" select="$key"/>
      </xsl:call-template>
    </a>
  </xsl:template>

  <xsl:template match="page" mode="main">
    <div class="prose">
      <xsl:call-template name="block">
        <xsl:with-param name="name" select="'h1'"/>
        <xsl:with-param name="key" select="'a11y.title'"/>
      </xsl:call-template>
      <xsl:call-template name="block">
        <xsl:with-param name="key" select="'a11y.intro'"/>
      </xsl:call-template>
      <xsl:call-template name="block">
        <xsl:with-param name="key" select="'a11y.scope'"/>
      </xsl:call-template>

      <xsl:call-template name="block">
        <xsl:with-param name="name" select="'h2'"/>
        <xsl:with-param name="key" select="'a11y.conformity.title'"/>
      </xsl:call-template>
      <xsl:call-template name="block">
        <xsl:with-param name="key" select="'a11y.conformity.text'"/>
      </xsl:call-template>
      <xsl:call-template name="block">
        <xsl:with-param name="key" select="'a11y.conformity.design'"/>
      </xsl:call-template>

      <xsl:call-template name="block">
        <xsl:with-param name="name" select="'h2'"/>
        <xsl:with-param name="key" select="'a11y.content.title'"/>
      </xsl:call-template>
      <xsl:call-template name="block">
        <xsl:with-param name="key" select="'a11y.content.text'"/>
      </xsl:call-template>

      <xsl:call-template name="block">
        <xsl:with-param name="name" select="'h2'"/>
        <xsl:with-param name="key" select="'a11y.establishment.title'"/>
      </xsl:call-template>
      <xsl:call-template name="block">
        <xsl:with-param name="key" select="'a11y.establishment.text'"/>
      </xsl:call-template>
      <xsl:call-template name="block">
        <xsl:with-param name="name" select="'h3'"/>
        <xsl:with-param name="key" select="'a11y.technologies.title'"/>
      </xsl:call-template>
      <ul>
        <xsl:call-template name="block">
          <xsl:with-param name="name" select="'li'"/>
          <xsl:with-param name="key" select="'a11y.technologies.html'"/>
        </xsl:call-template>
        <xsl:call-template name="block">
          <xsl:with-param name="name" select="'li'"/>
          <xsl:with-param name="key" select="'a11y.technologies.css'"/>
        </xsl:call-template>
      </ul>

      <xsl:call-template name="block">
        <xsl:with-param name="name" select="'h2'"/>
        <xsl:with-param name="key" select="'a11y.contact.title'"/>
      </xsl:call-template>
      <xsl:call-template name="block">
        <xsl:with-param name="key" select="'a11y.contact.text'"/>
      </xsl:call-template>

      <xsl:call-template name="block">
        <xsl:with-param name="name" select="'h2'"/>
        <xsl:with-param name="key" select="'a11y.recourse.title'"/>
      </xsl:call-template>
      <xsl:call-template name="block">
        <xsl:with-param name="key" select="'a11y.recourse.text'"/>
      </xsl:call-template>
      <ul>
        <li>
          <xsl:call-template name="catalogue-link">
            <xsl:with-param name="key" select="'a11y.recourse.form'"/>
          </xsl:call-template>
        </li>
        <li>
          <xsl:call-template name="catalogue-link">
            <xsl:with-param name="key" select="'a11y.recourse.delegate'"/>
          </xsl:call-template>
        </li>
        <xsl:call-template name="block">
          <xsl:with-param name="name" select="'li'"/>
          <xsl:with-param name="key" select="'a11y.recourse.mail'"/>
        </xsl:call-template>
      </ul>
    </div>
  </xsl:template>

</xsl:stylesheet>
